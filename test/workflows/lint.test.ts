/**
 * The workflow lint's own checks (scripts/lint-workflows.ts): each rule flags the workflow it exists
 * for and passes the fixed form, and the repository's workflows are clean.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { actionlint, propertiesProblems, workflowProblems } from '../../scripts/lint-workflows';

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
const wf = (steps: string, extra = '') => `name: t
on: ${extra || 'push'}
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
${steps}`;

describe('supply-chain rules', () => {
  test('a clean workflow has no problems', () => {
    expect(
      workflowProblems(
        'w.yml',
        wf(
          `      - uses: ${CHECKOUT}\n        with:\n          persist-credentials: false\n      - run: echo "$X"\n        env:\n          X: \${{ github.event.issue.title }}\n`,
        ),
      ),
    ).toEqual([]);
  });

  test('a third-party action on a tag is refused; a SHA without the version comment too', () => {
    expect(workflowProblems('w.yml', wf('      - uses: docker/login-action@v4\n'))).toEqual([
      'w.yml: job a: step 1: docker/login-action@v4 is not pinned to a full commit SHA',
    ]);
    expect(
      workflowProblems('w.yml', wf('      - uses: docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121\n'))[0],
    ).toMatch(/say the version in a comment/);
  });

  test('our actions: @main or a SHA in reusable workflows, a floating tag is refused; starters may use @v1', () => {
    expect(workflowProblems('w.yml', wf('      - uses: org/deploy-actions/build-image@v1\n'))[0]).toMatch(
      /not a floating tag/,
    );
    expect(workflowProblems('w.yml', wf('      - uses: org/deploy-actions/build-image@main\n'))).toEqual([]);
    expect(
      workflowProblems('w.yml', wf('      - uses: org/deploy-actions/build-image@v1\n'), { starter: true }),
    ).toEqual([]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expressions in workflow text, not JS templates
  test('${{ }} inside run: is refused', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expressions in workflow text, not JS templates
    expect(workflowProblems('w.yml', wf('      - run: echo "${{ inputs.version }}"\n'))[0]).toMatch(
      /inside `run:` can inject shell/,
    );
  });

  test('a checkout that persists credentials is refused', () => {
    expect(workflowProblems('w.yml', wf(`      - uses: ${CHECKOUT}\n`))[0]).toMatch(/persist-credentials: false/);
  });

  test('pull_request_target checking out the pull request is refused', () => {
    const text = wf(
      `      - uses: ${CHECKOUT}\n        with:\n          persist-credentials: false\n          ref: \${{ github.event.pull_request.head.sha }}\n`,
      'pull_request_target',
    );
    expect(workflowProblems('w.yml', text)).toContain(
      "w.yml: job a: step 1: pull_request_target checks out the pull request's code with a write token",
    );
  });

  test('a workflow without permissions, or with write-all, is refused', () => {
    expect(workflowProblems('w.yml', 'on: push\njobs: {}\n')[0]).toMatch(/no top-level `permissions:`/);
    expect(workflowProblems('w.yml', 'on: push\npermissions: write-all\njobs: {}\n')[0]).toMatch(/write-all/);
  });
});

describe('inputs', () => {
  test('our actions: an undeclared input and a missing required one', () => {
    const problems = workflowProblems(
      'w.yml',
      wf('      - uses: org/deploy-actions/trigger-render-hook@main\n        with:\n          deploy-hook-ur1: x\n'),
    );
    expect(problems).toContain('w.yml: job a: step 1: trigger-render-hook has no input "deploy-hook-ur1"');
  });

  test('peer actions read from their pinned action.yml fixtures', () => {
    const problems = workflowProblems(
      'w.yml',
      wf(
        '      - uses: google-github-actions/auth@7c6bc770dae815cd3e89ee6cdf493a5fab2cc093 # v3.0.0\n        with:\n          workload-identity-provider: x\n',
      ),
    );
    expect(problems).toEqual([
      'w.yml: job a: step 1: google-github-actions/auth has no input "workload-identity-provider"',
    ]);
    const aws = workflowProblems(
      'w.yml',
      wf(
        '      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n        with:\n          role-to-assume: r\n',
      ),
    );
    expect(aws).toEqual(['w.yml: job a: step 1: aws-actions/configure-aws-credentials needs input "aws-region"']);
  });

  test('calls of our reusable workflows: inputs and secrets', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  r:\n    uses: org/deploy-actions/.github/workflows/rds-migrate.yml@v1\n    with:\n      role-to-assume: r\n      regoin: x\n    secrets:\n      database-uri: x\n';
    const problems = workflowProblems('w.yml', text);
    expect(problems).toContain(
      'w.yml: job r: org/deploy-actions/.github/workflows/rds-migrate.yml@v1 has no input "regoin"',
    );
    expect(problems).toContain(
      'w.yml: job r: org/deploy-actions/.github/workflows/rds-migrate.yml@v1 needs input "aws-region"',
    );
    expect(problems).toContain(
      'w.yml: job r: org/deploy-actions/.github/workflows/rds-migrate.yml@v1 has no secret "database-uri"',
    );
  });
});

describe('starter properties', () => {
  test('every field the template chooser shows', () => {
    expect(
      propertiesProblems(
        'p.json',
        '{"name":"x","description":"y","iconName":"z","categories":["Deployment"],"filePatterns":["Dockerfile$"]}',
      ),
    ).toEqual([]);
    expect(propertiesProblems('p.json', '{"name":"x","categories":[]}')).toEqual([
      'p.json: "description" is missing',
      'p.json: "iconName" is missing',
      'p.json: "categories" is missing or empty',
      'p.json: "filePatterns" is missing or empty',
    ]);
  });
});

describe('actionlint 1.7', () => {
  test('knows the vars context and flags untrusted input in scripts', async () => {
    const lint = await actionlint();
    expect(
      await lint(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expressions in workflow text, not JS templates
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ vars.REGION }}"\n',
        'a.yml',
      ),
    ).toEqual([]);
    const problems = await lint(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expressions in workflow text, not JS templates
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n',
      'a.yml',
    );
    expect(problems.map((p) => p.kind)).toEqual(['expression']);
  });
});

test("the repository's workflows and starters are clean", () => {
  const out = execFileSync('npx', ['tsx', join(import.meta.dirname, '../../scripts/lint-workflows.ts')], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/, 0 problems/);
}, 120000);
