import { escapeHtml } from './escape-html';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`<a href="x" onclick='y'>&</a>`, '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;'],
    ['Tom & "Jerry"', 'Tom &amp; &quot;Jerry&quot;'],
    ["O'Brien", 'O&#39;Brien'],
    ['Ana', 'Ana'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
  });

  it('turns non-strings into text', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});
