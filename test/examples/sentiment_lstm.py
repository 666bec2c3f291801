# oracle: ok
# oracle-stdout: probs (8, 2)
"""Sentiment classifier: Embedding -> 2-layer LSTM -> Linear, trained for a couple of steps."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB_SIZE = 10000
EMBED_DIM = 128
HIDDEN_DIM = 256
NUM_LAYERS = 2
NUM_CLASSES = 2
PAD_IDX = 0


class SentimentLSTM(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_layers, num_classes, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD_IDX)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, num_layers=num_layers,
                            dropout=dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens):
        embedded = self.dropout(self.embedding(tokens))      # (B, T, E)
        _, (hidden, _) = self.lstm(embedded)                 # hidden: (layers, B, H)
        return self.fc(self.dropout(hidden[-1]))             # (B, C)


def train(model, batches, epochs=1, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        for tokens, labels in batches:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(tokens), labels)
            loss.backward()
            optimizer.step()
    return loss.item()


if __name__ == "__main__":
    model = SentimentLSTM(VOCAB_SIZE, EMBED_DIM, HIDDEN_DIM, NUM_LAYERS, NUM_CLASSES)
    batches = [
        (torch.randint(1, VOCAB_SIZE, (8, 32)), torch.randint(0, NUM_CLASSES, (8,)))
        for _ in range(2)
    ]
    train(model, batches)
    model.eval()
    with torch.no_grad():
        probs = F.softmax(model(batches[0][0]), dim=-1)
    print("probs", tuple(probs.shape))
