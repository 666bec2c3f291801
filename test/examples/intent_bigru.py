# oracle: raises RuntimeError at line 27: mat1 and mat2 shapes cannot be multiplied (6x128 and 64x5)
"""Intent detection for a chatbot: bidirectional GRU over word embeddings."""
import torch
import torch.nn as nn

INTENTS = ["greet", "book_flight", "cancel", "weather", "goodbye"]

hparams = {
    "vocab_size": 6000,
    "embed_dim": 100,
    "hidden_dim": 64,
    "dropout": 0.2,
}


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, n_intents, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encoder = nn.GRU(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_dim, n_intents)

    def forward(self, utterance):
        states, _ = self.encoder(self.embedding(utterance))
        sentence = self.dropout(states[:, -1, :])
        return self.classifier(sentence)  # expect: SL105


if __name__ == "__main__":
    model = IntentClassifier(hparams["vocab_size"], hparams["embed_dim"], hparams["hidden_dim"],
                             len(INTENTS), hparams["dropout"])
    utterances = torch.randint(1, hparams["vocab_size"], (6, 11))
    labels = torch.randint(0, len(INTENTS), (6,))
    loss = nn.CrossEntropyLoss()(model(utterances), labels)
    print("loss", loss.dim())
