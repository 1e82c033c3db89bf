import { renderErrorPage, renderUsersPage } from './users.page';

describe('renderUsersPage', () => {
  const users = [
    { id: 1, nome: 'Ana Souza', ativo_desde: '2019-03-11' },
    { id: 2, nome: '<img src=x onerror=alert(1)>', ativo_desde: '2020-07-01' },
  ];
  const html = renderUsersPage(users, 'req-1');

  it('has one <h1>, one <ul> and one <li> per user with nome and ativo_desde', () => {
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html.match(/<ul>/g)).toHaveLength(1);
    expect(html.match(/<li>/g)).toHaveLength(2);
    expect(html).toContain('<span class="nome">Ana Souza</span> — ativo desde <time datetime="2019-03-11">2019-03-11</time>');
  });

  it('never lets markup from the service through', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says so when the list is empty', () => {
    expect(renderUsersPage([], 'req-2')).toContain('Nenhum usuário cadastrado.');
  });
});

describe('renderErrorPage', () => {
  it('explains an unavailable service in Portuguese and shows the request id', () => {
    const html = renderErrorPage('unavailable', 'abc-123');
    expect(html).toContain('<h1>Serviço de usuários indisponível</h1>');
    expect(html).toContain('Requisição abc-123');
  });
});
