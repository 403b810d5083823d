import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { parseJavaArchive } from './java.ts';

// A small ZIP writer for fixtures: deflated entries, central directory, end record.
function zip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const data = deflateRawSync(raw);
    const n = Buffer.from(name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(raw.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(raw.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, data);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test('pom.properties, manifest and nested jars', () => {
  const inner = zip({
    'META-INF/MANIFEST.MF':
      'Manifest-Version: 1.0\r\nImplementation-Title: inner\r\nImplementation-Version: 2.0\r\nImplementation-Vendor-Id: org.example\r\n',
  });
  const outer = zip({
    'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties':
      'groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n',
    'BOOT-INF/lib/inner-2.0.jar': inner,
  });
  const r = parseJavaArchive(outer, 'app.jar');
  assert.deepEqual(
    r.packages.map((p) => p.purl),
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'pkg:maven/org.example/inner@2.0'],
  );
  assert.equal(
    parseJavaArchive(Buffer.from('not a zip'), 'x.jar').diagnostics[0]?.code,
    'SCAN_JAVA_ARCHIVE',
  );
});
