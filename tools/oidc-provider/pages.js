// The provider's few pages, in Dutch, plain HTML (no scripts).

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function interactionPage({ uid, isStaff, people }) {
  const title = isStaff ? 'Inloggen bij uw organisatie (demo)' : 'Inloggen met DigiD (demo)';
  const buttons = Object.entries(people).map(([id, person]) => `
    <form method="post" action="/interaction/${escapeHtml(uid)}/login">
      <input type="hidden" name="identity" value="${escapeHtml(id)}">
      <button type="submit">${escapeHtml(person.label)}</button>
    </form>`).join('');
  return page(title, `
    <p>Dit is een demo. Kies een verzonnen persoon om mee in te loggen.</p>
    ${buttons}
    <form method="post" action="/interaction/${escapeHtml(uid)}/abort">
      <button type="submit">Annuleren</button>
    </form>`);
}

export async function logoutPage(ctx, form) {
  ctx.type = 'html';
  ctx.body = page('Uitloggen (demo)', `
    <p>Wilt u ook bij de demo-inlogdienst uitloggen?</p>
    ${form}
    <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>
    <button type="submit" form="op.logoutForm">Nee</button>`);
}

export async function loggedOutPage(ctx) {
  ctx.type = 'html';
  ctx.body = page('Uitgelogd (demo)', '<p>U bent uitgelogd bij de demo-inlogdienst.</p>');
}
