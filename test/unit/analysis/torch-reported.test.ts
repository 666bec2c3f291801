// Real reported PyTorch shape bugs, each rebuilt from the poster's code (test/fixtures/torch-reported/<id>-bug.py for
// recurrent and embedding layers, test/fixtures/attention-reported for attention, Transformer and Conv1d; confirmed
// with PyTorch 1.13 by test/oracle/torch_oracle.py) beside its fixed twin. How a bug counts: reported-bugs.ts.
import { describeDistinctSources, describeReportedBugs } from './reported-bugs';

describeReportedBugs('PyTorch', 'torch-reported', 40);
describeReportedBugs('PyTorch', 'attention-reported', 20);
describeDistinctSources(['torch-reported', 'attention-reported', 'keras-reported']);
