import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { GROUPS, registerCommands } from './commands.ts';

test('each lazy group declares exactly the top-level commands it registers', async () => {
  for (const g of GROUPS) {
    const program = new Command();
    (await g.load())(program);
    assert.deepEqual(program.commands.map((c) => c.name()).sort(), [...g.names].sort(), `group ${g.names[0]}`);
  }
});

test('a known command loads only its group; anything else loads every group', async () => {
  const one = new Command();
  await registerCommands(one, 'capture');
  assert.deepEqual(one.commands.map((c) => c.name()).sort(), ['capture', 'run']);
  const all = new Command();
  await registerCommands(all, 'no-such-command');
  assert.equal(all.commands.length, GROUPS.reduce((n, g) => n + g.names.length, 0));
});
