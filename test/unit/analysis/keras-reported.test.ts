// Real reported Keras shape bugs, each rebuilt from the poster's code (test/fixtures/keras-reported/<id>-bug.py; its
// header holds what Keras raised for the poster) beside its fixed twin. How a bug counts: reported-bugs.ts.
import { describeReportedBugs } from './reported-bugs';

describeReportedBugs('Keras', 'keras-reported', 25);
