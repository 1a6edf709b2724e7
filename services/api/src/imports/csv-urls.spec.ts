import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_URL_LINE_LENGTH } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';
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

describe('the line cap', () => {
  const url = (length: number) => `https://e.x/${'a'.repeat(length - 'https://e.x/'.length)}`;
  const tooLong = (line: number) => (e: unknown) =>
    e instanceof ApiError && e.status === 413 && e.code === 'line_too_long' && e.message.includes(`Line ${line} `) && e.message.includes(String(MAX_URL_LINE_LENGTH));

  test('a line of 8192 characters is read; one more character ends the stream with a 413 naming the line', async () => {
    assert.equal((await rowsOf(`${url(MAX_URL_LINE_LENGTH)}\r\n`))[0]?.[0]?.length, MAX_URL_LINE_LENGTH);
    await assert.rejects(rowsOf(`https://e.x/1.png\r\nhttps://e.x/2.png\r\n${url(MAX_URL_LINE_LENGTH + 1)}\r\nhttps://e.x/4.png\r\n`), tooLong(3));
  });

  test('every character of the row counts, commas and quotes included, and the row is named by the line it starts on', async () => {
    await assert.rejects(rowsOf('a\n"quoted\r\nacross lines",', 'x'.repeat(MAX_URL_LINE_LENGTH)), tooLong(2));
    await assert.rejects(rowsOf(','.repeat(MAX_URL_LINE_LENGTH + 1)), tooLong(1));
  });

  test('the refusal comes before the line is kept, however it is split in chunks: lines before it were read, none after', async () => {
    const chunks = (async function* () {
      yield 'https://e.x/1.png\n';
      for (let i = 0; i < 10; i++) yield 'b'.repeat(MAX_URL_LINE_LENGTH / 8);
      yield '\nhttps://e.x/3.png\n';
    })();
    const read: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const line of urlsFromCsv(csvRows(chunks))) read.push(line);
      })(),
      tooLong(2),
    );
    assert.deepEqual(read, ['https://e.x/1.png']);
  });

  test('the cap can be set lower', async () => {
    const out: string[][] = [];
    await assert.rejects(
      (async () => {
        for await (const row of csvRows(['abc\nabcdef\n'] as unknown as AsyncIterable<string>, 5)) out.push(row);
      })(),
      (e: unknown) => e instanceof ApiError && e.message.includes('Line 2 ') && e.message.includes('5 characters'),
    );
    assert.deepEqual(out, [['abc']]);
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
