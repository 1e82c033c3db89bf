import { escapeHtml } from '@desafios/server';
import type { UpstreamFailure } from '@desafios/http-upstream';
import type { User } from '@desafios/users-contract';

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; color: #1f2933; }
  h1 { font-size: 1.6rem; }
  ul { list-style: none; padding: 0; }
  li { padding: .6rem .8rem; border: 1px solid #d9e2ec; border-radius: .4rem; margin-bottom: .5rem; }
  .nome { font-weight: 600; }
  .rodape { color: #627d98; font-size: .85rem; }
`;

function layout(title: string, body: string, requestId: string): string {
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="rodape">Requisição ${escapeHtml(requestId)}</p>
</main>
</body>
</html>
`;
}

export function renderUsersPage(users: readonly User[], requestId: string): string {
  const items = users
    .map(
      (user) =>
        `  <li><span class="nome">${escapeHtml(user.nome)}</span> — ativo desde <time datetime="${escapeHtml(user.ativo_desde)}">${escapeHtml(user.ativo_desde)}</time></li>`,
    )
    .join('\n');
  const empty = users.length === 0 ? '<p>Nenhum usuário cadastrado.</p>\n' : '';
  return layout(
    'Usuários',
    `<h1>Usuários</h1>\n${empty}<ul>\n${items}\n</ul>\n<p>${users.length} usuário(s), vindos do users-service.</p>`,
    requestId,
  );
}

const ERROR_TEXT: Record<UpstreamFailure, { title: string; detail: string }> = {
  unavailable: {
    title: 'Serviço de usuários indisponível',
    detail: 'O users-service não respondeu a tempo ou está fora do ar. Tente de novo em alguns segundos.',
  },
  'invalid-response': {
    title: 'Resposta inválida do serviço de usuários',
    detail: 'O users-service respondeu fora do formato combinado; a lista não pode ser mostrada.',
  },
};

export function renderErrorPage(kind: UpstreamFailure, requestId: string): string {
  const { title, detail } = ERROR_TEXT[kind];
  return layout(title, `<h1>${title}</h1>\n<p>${detail}</p>`, requestId);
}
