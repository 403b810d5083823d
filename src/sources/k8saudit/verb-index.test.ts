import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../../rules/index.ts';
import { verbEventTypes } from './verb-index.ts';

const verbs = (c: string) => {
  const s = verbEventTypes(parseCondition(c));
  return s ? [...s].sort() : 'all';
};

test('verb sets: and intersects, or unites, unbounded checks leave every verb', () => {
  assert.deepEqual(verbs('ka.verb = create and ka.target.resource = pods'), ['create']);
  assert.deepEqual(verbs('ka.verb in (create, update) and ka.verb in (update, patch)'), ['update']);
  assert.deepEqual(verbs('ka.verb = create or ka.verb in (delete)'), ['create', 'delete']);
  assert.equal(verbs('ka.verb = create or ka.user.name = x'), 'all');
  assert.equal(verbs('ka.user.name = x'), 'all');
  assert.equal(verbs('not ka.verb = get'), 'all');
  assert.equal(verbs('ka.verb != get'), 'all');
  assert.equal(verbs('not ka.verb != get'), 'all'); // true for events without a verb
  assert.deepEqual(verbs('not (not ka.verb = get)'), ['get']);
  assert.equal(verbs('ka.verb startswith cr'), 'all');
  assert.deepEqual(verbs('ka.verb = create and not (ka.verb = x or ka.user.name = y)'), ['create']);
});
