/**
 * The three-node lab (deploy/lab/lab.sh, `npx nx run lab:up`): a registry:2 and three Docker engines
 * in containers (docker:26-dind) forming a swarm of three managers, the app images published to the
 * registry by Nx Release (@nx/docker), and the stacks deployed from it. Every request goes to the
 * host's 127.0.0.1, where the lab publishes each node's ports (15002 → node 1's 5002, and so on).
 *
 * One lab for the whole suite (it takes minutes to stand up), and its checks in one file per part:
 * - release.checks.ts: publishing, and pulling back by digest on another engine;
 * - desafio4.checks.ts: the consumer of every node spreading its calls over users-service replicas on
 *   all three nodes; draining a node, a rolling update across the nodes and the sudden loss of a
 *   whole node, each under load, with the failures counted and the recovery timed;
 * - desafio3.checks.ts: the database pinned by a node label to the node that holds its volume, and
 *   the visit count kept when a gateway node is lost.
 * They run in that order, on the same lab.
 *
 * Fails at once, touching nothing, if a lab already runs on this engine; otherwise creates its own
 * and removes it (nodes, registry, volumes, network) at the end.
 */
import { docker } from '@desafios/testing';
import { labSh } from '../support/lab';
import { Lab, writeLabResults } from '../support/lab-checks';
import { desafio3Checks } from './desafio3.checks';
import { desafio4Checks } from './desafio4.checks';
import { releaseChecks } from './release.checks';

describe('three-node lab: a swarm fed by a registry, under load, losing a node', () => {
  let created = false;
  let upOutput = '';
  const lab: Lab = { upOutput: () => upOutput, measured: {} };

  beforeAll(async () => {
    const existing = await docker(['ps', '-aq', '--filter', 'name=^desafios-lab-']);
    if (existing)
      throw new Error(
        'a lab already runs on this engine (desafios-lab-*); this suite creates its own and never touches one it did not create: npx nx run lab:down first',
      );
    const started = Date.now();
    created = true;
    upOutput = await labSh(['up'], 600_000);
    lab.measured.upSeconds = Math.round((Date.now() - started) / 1000);
  }, 660_000);

  afterAll(async () => {
    writeLabResults(lab.measured);
    if (created) await labSh(['down'], 120_000);
  }, 180_000);

  releaseChecks(lab);
  desafio4Checks(lab);
  desafio3Checks(lab);
});
