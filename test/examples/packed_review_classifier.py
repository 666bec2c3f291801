# oracle: ok
# oracle-stdout: logits (3, 2)
"""Variable-length reviews: pad_sequence + pack_padded_sequence + bidirectional GRU."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

vocab = ["<pad>", "<unk>", "great", "film", "boring", "plot", "loved", "it", "acting", "bad"]
word2id = {w: i for i, w in enumerate(vocab)}


def encode(review):
    return torch.tensor([word2id.get(w, 1) for w in review.split()])


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim=32, hidden_dim=48, n_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.gru = nn.GRU(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(hidden_dim * 2, n_classes)

    def forward(self, padded, lengths):
        packed = pack_padded_sequence(self.embedding(padded), lengths,
                                      batch_first=True, enforce_sorted=False)
        packed_out, h_n = self.gru(packed)
        states, _ = pad_packed_sequence(packed_out, batch_first=True)   # (B, T, 2H)
        mask = (padded[:, : states.size(1)] != 0).unsqueeze(-1)
        pooled = (states * mask).sum(dim=1) / lengths.unsqueeze(1)
        return self.fc(pooled)


if __name__ == "__main__":
    reviews = ["loved it great acting", "boring plot", "bad film bad acting and boring plot"]
    seqs = [encode(r) for r in reviews]
    lengths = torch.tensor([len(s) for s in seqs])
    padded = pad_sequence(seqs, batch_first=True)
    model = ReviewClassifier(len(vocab))
    print("logits", tuple(model(padded, lengths).shape))
