// A pandas reader given a number for its file raises ValueError ("Invalid file path or buffer object type", pandas
// 1.5 and 2.x) before it reads anything: what follows on that path never runs, so it reports nothing. Found on a
// real project whose stale test script passes its arguments one place off, so a float reaches an Embedding's size
// only on a path that pandas ends first. Programs of our own, each run in PyTorch 1.13 with pandas 1.5.
import { strict as assert } from 'node:assert';
import { createAnalyzer, type Analyzer, type ModuleProvider, type Workspace } from '../../../src/analysis';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const loudCodes = async (body: string) => (await run(body)).findings.filter(loud).map((f) => `${f.code}@${f.range.start.line + 1}`);

const ENCODER = `import pandas as pd
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, max_len, table_path, dim=8):
        super().__init__()
        table = pd.read_csv(table_path, header=None, sep=' ').values
        self.words = nn.Embedding(len(table), dim)
        self.positions = nn.Embedding(max_len, dim)

    def forward(self, x):
        return self.words(x)
`;

function workspaceOf(files: Record<string, string>): Workspace {
  const provider: ModuleProvider = { read: (path) => files[path], pythonFiles: () => Object.keys(files).sort() };
  return { root: '/p', provider };
}

describe('a pandas reader given a number for its file', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await createAnalyzer();
  });

  const encoderFindings = (script: string) => {
    const files = { '/p/enc.py': ENCODER, '/p/script.py': script };
    return analyzer.analyze(ENCODER, '/p/enc.py', workspaceOf(files)).findings.filter(loud).map((f) => `${f.code}@${f.range.start.line + 1}`);
  };

  it('ends the constructor there: a float size further on, reached only through that call, is not reported', () => {
    // The arguments one place off: the table's path gets 10 and max_len 0.8; pandas raises before the Embedding.
    assert.deepEqual(encoderFindings('from enc import Encoder\n\nmodel = Encoder(0.8, 10)\n'), []);
  });

  it('a path that is a string still reaches the Embedding, whose float size PyTorch refuses (SL158)', () => {
    assert.deepEqual(encoderFindings("from enc import Encoder\n\nmodel = Encoder(0.8, 'glove.txt')\n"), ['SL158@10']);
  });

  it('holds for read_table, read_fwf, read_pickle and read_excel (io=), a float and a bool, given by keyword too', async () => {
    for (const call of ['pd.read_table(3)', 'pd.read_fwf(3)', 'pd.read_pickle(2.5)', 'pd.read_excel(io=1)', 'pd.read_csv(filepath_or_buffer=True)']) {
      const body = `import pandas as pd\nimport torch.nn as nn\ndef build():\n    t = ${call}\n    return nn.Embedding(0.5, 4)\nlayer = build()\n`;
      assert.deepEqual(await loudCodes(body), [], call);
    }
  });

  it('a path not known, the default of a class nobody builds, or a star argument not known leaves the reader followed', async () => {
    const after = '    return nn.Embedding(0.5, 4)\n';
    assert.deepEqual(await loudCodes(`import pandas as pd\nimport torch.nn as nn\ndef build(path):\n    t = pd.read_csv(path)\n${after}layer = build(p)\n`), ['SL158@5']);
    assert.deepEqual(await loudCodes(`import pandas as pd\nimport torch.nn as nn\ndef build(a):\n    t = pd.read_csv(*a)\n${after}layer = build(q)\n`), ['SL158@5']);
    const unbuilt = 'class M(nn.Module):\n    def __init__(self, path=3):\n        super().__init__()\n        t = pd.read_csv(path)\n        self.e = nn.Embedding(0.5, 4)\n';
    assert.deepEqual(await loudCodes(`import pandas as pd\nimport torch.nn as nn\n${unbuilt}`), ['SL158@7']);
  });

  it('a star argument that is known is read as Python passes it', async () => {
    const body = 'import pandas as pd\nimport torch.nn as nn\ndef build(a):\n    t = pd.read_csv(*a)\n    return nn.Embedding(0.5, 4)\nlayer = build([3])\n';
    assert.deepEqual(await loudCodes(body), []);
  });

  it('at the top level of a script, the frame it would have read is unknown and nothing else changes', async () => {
    assert.equal(await shapeOf('import pandas as pd\nimport numpy as np\nt = pd.read_csv(3)\nv = t.values\nx = np.zeros((4, 2))\n', 'v'), undefined);
    assert.equal(await shapeOf('import pandas as pd\nimport numpy as np\nt = pd.read_csv(3)\nx = np.zeros((4, 2))\n', 'x'), '(4, 2)');
  });
});
