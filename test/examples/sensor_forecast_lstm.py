# oracle: ok
# oracle-stdout: inputs (36, 8, 6)
# oracle-stdout: preds (36, 6) targets (8, 6)
"""Multivariate sensor forecasting with a seq-first LSTM."""
import torch
import torch.nn as nn

N_SENSORS = 6
WINDOW = 36
HIDDEN = 64
BATCH = 8


def make_windows(series, window):
    # series: (time, sensors) -> inputs (window, batch, sensors), targets (batch, sensors)
    starts = range(0, series.size(0) - window - 1, window // 2)
    inputs = torch.stack([series[s:s + window] for s in starts], dim=1)
    targets = torch.stack([series[s + window] for s in starts])
    return inputs[:, :BATCH], targets[:BATCH]


class SensorForecaster(nn.Module):
    def __init__(self, n_sensors, hidden):
        super().__init__()
        self.lstm = nn.LSTM(n_sensors, hidden, num_layers=2, dropout=0.1)
        self.head = nn.Linear(hidden, n_sensors)

    def forward(self, x):
        out, _ = self.lstm(x)            # (window, batch, hidden)
        last = out[:, -1, :]  # expect: SL102
        return self.head(last)


if __name__ == "__main__":
    series = torch.randn(200, N_SENSORS)
    inputs, targets = make_windows(series, WINDOW)
    model = SensorForecaster(N_SENSORS, HIDDEN)
    preds = model(inputs)
    print("inputs", tuple(inputs.shape))
    print("preds", tuple(preds.shape), "targets", tuple(targets.shape))
