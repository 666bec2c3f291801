// Every Keras fixture's `# tfjs-oracle:` header must be what TensorFlow.js really does with the same
// model and data (see test/fixtures/keras/README.md). SEQLENS_ORACLE_UPDATE=1 rewrites the headers
// from the observed runs instead of checking them.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { CLEAN_PROGRAMS } from './cases-clean';
import { RULE_PROGRAMS } from './cases-rules';
import { observe, readKerasFixtures, reseed, writeHeader } from './oracle';

const UPDATE = process.env.SEQLENS_ORACLE_UPDATE === '1';
const PROGRAMS = { ...RULE_PROGRAMS, ...CLEAN_PROGRAMS };
const fixtures = readKerasFixtures();
const RULES = ['SL201', 'SL202', 'SL203', 'SL204', 'SL205', 'SL206', 'SL207', 'SL208', 'SL209', 'SL220', 'SL221'];

describe('Keras fixtures: the tfjs oracle', function () {
  this.timeout(60000);
  let previousBackend: string | undefined;

  before(async () => {
    tf.env().set('PROD', true); // no "install tfjs-node" banner
    previousBackend = tf.getBackend();
    await tf.setBackend('cpu');
  });

  after(async () => {
    if (previousBackend && previousBackend !== 'cpu') await tf.setBackend(previousBackend);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}.py`, async () => {
      const program = PROGRAMS[fixture.name];
      assert.ok(program, `no tfjs program for ${fixture.name}.py`);
      reseed();
      const observed = await observe(program);
      if (UPDATE) writeHeader(fixture, observed);
      else assert.equal(observed, fixture.header, `tfjs did something else than the header of ${fixture.name}.py says`);
    });
  }
});

describe('Keras fixtures: the corpus', () => {
  const names = new Set(fixtures.map((f) => f.name));
  const buggy = fixtures.filter((f) => /^SL2\d\d_/.test(f.name) && !f.name.endsWith('_fixed'));

  it('every fixture has a tfjs program and every program a fixture', () => {
    assert.deepEqual(fixtures.filter((f) => !PROGRAMS[f.name]).map((f) => f.name), []);
    assert.deepEqual(Object.keys(PROGRAMS).filter((n) => !names.has(n)), []);
  });

  it('every fixture starts with a tfjs-oracle header and is named SL2xx_*, SL2xx_*_fixed or clean_*', () => {
    assert.deepEqual(fixtures.filter((f) => f.header === null).map((f) => f.name), []);
    assert.deepEqual(fixtures.filter((f) => !/^(SL2\d\d_|clean_)/.test(f.name)).map((f) => f.name), []);
  });

  it('every buggy fixture marks its own rule and has a _fixed twin', () => {
    for (const f of buggy) {
      const code = f.name.slice(0, 5);
      assert.ok(f.expectations.some((e) => e.code === code), `${f.name}.py has no "# expect: ${code}" marker`);
      assert.ok(names.has(`${f.name}_fixed`), `${f.name}.py has no _fixed twin`);
    }
  });

  it('fixed twins and clean programs carry no markers', () => {
    const marked = fixtures.filter((f) => (f.name.endsWith('_fixed') || f.name.startsWith('clean_')) && f.expectations.length);
    assert.deepEqual(marked.map((f) => f.name), []);
  });

  it('has at least two buggy programs per rule and fifteen clean programs', () => {
    for (const code of RULES) assert.ok(buggy.filter((f) => f.name.startsWith(code)).length >= 2, code);
    assert.ok(fixtures.filter((f) => f.name.startsWith('clean_')).length >= 15);
  });
});
