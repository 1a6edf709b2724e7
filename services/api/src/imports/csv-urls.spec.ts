import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvRows, urlsFromCsv } from './csv-urls.js';

async function rowsOf(...chunks: (string | Buffer)[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const row of csvRows((async function* () {
    yield* chunks;
  })())) out.push(row);
  return out;
}

async function urlsOf(text: string): Promise<string[]> {
  const out: string[] = [];
  for await (const url of urlsFromCsv(csvRows([text] as unknown as AsyncIterable<string>))) out.push(url);
  return out;
}

describe('csvRows', () => {
  test('quotes, doubled quotes, commas and line breaks inside quotes, every line end, a BOM', async () => {
    assert.deepEqual(await rowsOf('\uFEFFa,"b,c","say ""hi"""\r\n"multi\nline",x\rlast'), [
      ['a', 'b,c', 'say "hi"'],
      ['multi\nline', 'x'],
      ['last'],
    ]);
  });

  test('the same whatever the chunks, even split inside a quote escape, a CRLF or a UTF-8 character', async () => {
    const text = 'url,name\r\n"https://e.x/a.png","a ""q"""\r\nhttps://e.x/фото.png,b\r\n';
    const whole = await rowsOf(text);
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) assert.deepEqual(await rowsOf(bytes.subarray(0, cut), bytes.subarray(cut)), whole, `cut at ${cut}`);
  });
});

describe('urlsFromCsv', () => {
  test('no header: the first column holding a URL', async () => {
    assert.deepEqual(await urlsOf('https://e.x/1.png\nhttps://e.x/2.png\n'), ['https://e.x/1.png', 'https://e.x/2.png']);
    assert.deepEqual(await urlsOf('1,https://e.x/1.png,x\n2,https://e.x/2.png,y'), ['https://e.x/1.png', 'https://e.x/2.png']);
  });

  test('a header names the column; blank lines are dropped; a bad cell is kept for its own outcome', async () => {
    assert.deepEqual(await urlsOf('id,Image URL,title\n1,https://e.x/1.png,One\n\n2,not a url,Two\n3,,Three\n'), ['https://e.x/1.png', 'not a url', '']);
    assert.deepEqual(await urlsOf('name,link\na,http://e.x/a.gif\n'), ['http://e.x/a.gif']);
  });

  test('a header naming no URL column: the first column with a URL', async () => {
    assert.deepEqual(await urlsOf('title,where\nOne,https://e.x/1.png\n'), ['https://e.x/1.png']);
  });
});
