# oracle: ok
# oracle-stdout: logits (10, 4, 250)
"""GRU encoder-decoder with dot-product attention, seq-first tensors throughout."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SRC_VOCAB = 300
TRG_VOCAB = 250
EMBED_DIM = 64
HIDDEN_DIM = 128
SOS, EOS = 1, 2


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(SRC_VOCAB, EMBED_DIM)
        self.gru = nn.GRU(EMBED_DIM, HIDDEN_DIM)

    def forward(self, src):
        outputs, hidden = self.gru(self.embedding(src))   # (S, B, H), (1, B, H)
        return outputs, hidden


class AttnDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(TRG_VOCAB, EMBED_DIM)
        self.gru = nn.GRU(EMBED_DIM, HIDDEN_DIM)
        self.concat = nn.Linear(HIDDEN_DIM * 2, HIDDEN_DIM)
        self.out = nn.Linear(HIDDEN_DIM, TRG_VOCAB)

    def forward(self, token, hidden, enc_outputs):
        emb = self.embedding(token).unsqueeze(0)                       # (1, B, E)
        output, hidden = self.gru(emb, hidden)                         # (1, B, H)
        scores = torch.sum(output * enc_outputs, dim=2)                # (S, B)
        weights = F.softmax(scores.t(), dim=1).unsqueeze(1)            # (B, 1, S)
        context = weights.bmm(enc_outputs.transpose(0, 1)).squeeze(1)  # (B, H)
        combined = torch.tanh(self.concat(torch.cat((output.squeeze(0), context), dim=1)))
        return self.out(combined), hidden


def translate(encoder, decoder, src, max_len=10):
    enc_outputs, hidden = encoder(src)
    token = torch.full((src.size(1),), SOS, dtype=torch.long)
    logits_per_step = []
    for _ in range(max_len):
        logits, hidden = decoder(token, hidden, enc_outputs)
        logits_per_step.append(logits)
        token = logits.argmax(dim=1)
    return torch.stack(logits_per_step)                                 # (T, B, V)


if __name__ == "__main__":
    encoder, decoder = Encoder(), AttnDecoder()
    src = torch.randint(3, SRC_VOCAB, (12, 4))
    trg = torch.randint(3, TRG_VOCAB, (10, 4))
    logits = translate(encoder, decoder, src, max_len=trg.size(0))
    loss = F.cross_entropy(logits.view(-1, TRG_VOCAB), trg.view(-1))
    loss.backward()
    print("logits", tuple(logits.shape))
