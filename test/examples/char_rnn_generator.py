# oracle: ok
# oracle-stdout: sampled 25 characters
"""Character-level GRU language model with greedy sampling."""
import torch
import torch.nn as nn

corpus = "to be or not to be that is the question whether tis nobler in the mind to suffer"
chars = sorted(set(corpus))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
vocab_size = len(chars)

config = {"embed": 24, "hidden": 96, "layers": 2, "seq_len": 16}


class CharGRU(nn.Module):
    def __init__(self, vocab_size, cfg):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, cfg["embed"])
        self.gru = nn.GRU(cfg["embed"], cfg["hidden"], num_layers=cfg["layers"], batch_first=True)
        self.head = nn.Linear(cfg["hidden"], vocab_size)

    def forward(self, x, hidden=None):
        out, hidden = self.gru(self.embed(x), hidden)
        return self.head(out), hidden


def batches(text, seq_len):
    ids = torch.tensor([stoi[c] for c in text])
    n = (len(ids) - 1) // seq_len
    x = ids[: n * seq_len].view(n, seq_len)
    y = ids[1: n * seq_len + 1].view(n, seq_len)
    return x, y


@torch.no_grad()
def sample(model, prompt, length=20):
    model.eval()
    x = torch.tensor([[stoi[c] for c in prompt]])
    logits, hidden = model(x)
    out = list(prompt)
    for _ in range(length):
        next_id = logits[:, -1, :].argmax(dim=-1, keepdim=True)   # (1, 1)
        out.append(itos[next_id.item()])
        logits, hidden = model(next_id, hidden)
    return "".join(out)


if __name__ == "__main__":
    model = CharGRU(vocab_size, config)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    criterion = nn.CrossEntropyLoss()
    x, y = batches(corpus, config["seq_len"])
    for step in range(2):
        optimizer.zero_grad()
        logits, _ = model(x)
        loss = criterion(logits.reshape(-1, vocab_size), y.reshape(-1))
        loss.backward()
        optimizer.step()
    text = sample(model, "to be")
    print("sampled", len(text), "characters")
