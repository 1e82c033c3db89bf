/**
 * ESLint rule `tests/no-unexplained-skip`: a skipped test or suite (`it.skip`, `test.skip`,
 * `describe.skip`, their `.each`/`.concurrent` forms, `xit`, `xtest`, `xdescribe`) needs a comment
 * saying why, ending on the line just above the statement or on the skip's own line.
 * `jest/no-disabled-tests` rejects every skip and cannot see comments; see docs/decisions.md.
 */
const SUITES = new Set(['describe', 'it', 'test']);
const X_SUITES = new Set(['xdescribe', 'xit', 'xtest']);

function rootIdentifier(node) {
  while (node.type === 'MemberExpression' || node.type === 'CallExpression') {
    node = node.type === 'MemberExpression' ? node.object : node.callee;
  }
  return node.type === 'Identifier' ? node.name : undefined;
}

function statementOf(node) {
  let current = node;
  while (current.parent && !/Statement$|Declaration$/.test(current.type)) current = current.parent;
  return current;
}

/** @type {import('eslint').Rule.RuleModule} */
const noUnexplainedSkip = {
  meta: {
    type: 'problem',
    docs: { description: 'Require a comment with the reason next to every skipped test' },
    schema: [],
    messages: {
      missingReason:
        'Skipped test without a reason: add a comment saying why on the line above (or the same line), or un-skip it.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const reasons = sourceCode
      .getAllComments()
      .filter((comment) => comment.value.trim() !== '' && !/^\s*eslint[- ]/.test(comment.value))
      .map((comment) => comment.loc);

    function check(node) {
      const line = node.loc.start.line;
      const statementLine = statementOf(node).loc.start.line;
      const explained = reasons.some(
        (loc) =>
          loc.end.line === statementLine - 1 ||
          loc.start.line === line ||
          loc.end.line === line ||
          loc.start.line === statementLine,
      );
      if (!explained) context.report({ node, messageId: 'missingReason' });
    }

    return {
      MemberExpression(node) {
        if (
          !node.computed &&
          node.property.type === 'Identifier' &&
          node.property.name === 'skip'
        ) {
          if (SUITES.has(rootIdentifier(node.object))) check(node);
        }
      },
      Identifier(node) {
        if (!X_SUITES.has(node.name)) return;
        const { parent } = node;
        const called =
          (parent.type === 'CallExpression' && parent.callee === node) ||
          (parent.type === 'MemberExpression' && parent.object === node);
        if (called) check(node);
      },
    };
  },
};

export default { rules: { 'no-unexplained-skip': noUnexplainedSkip } };
