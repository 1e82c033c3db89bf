/**
 * The challenge pages link to the lines of docker-compose.yml that hold each service, network and
 * volume they explain; those links must still point at exactly that block (compose-links.ts).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WORKSPACE_ROOT } from '@desafios/testing';
import { blockOf, lineLinks } from './compose-links';

const PAGES_DIR = join(WORKSPACE_ROOT, 'docs/desafios');
const pages = readdirSync(PAGES_DIR)
  .filter((name) => /^\d-.*\.md$/.test(name))
  .sort();

describe.each(pages)('%s links to the compose lines of what it explains', (name) => {
  const links = lineLinks(join(PAGES_DIR, name));

  it('has such links', () => {
    expect(links.length).toBeGreaterThan(0);
  });

  it('each range is exactly the block of the key it names', () => {
    for (const link of links) {
      const where = `${link.key} em ${relative(WORKSPACE_ROOT, link.file)}`;
      expect({ where, lines: { from: link.from, to: link.to } }).toEqual({ where, lines: blockOf(link.file, link.key) });
    }
  });
});
