// Starts GraphiQL against this server's /graphql. In a file of its own: the page has no inline script, so it
// works under `Content-Security-Policy: script-src 'self'`.
/* global GraphiQL, React, ReactDOM */
const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
const root = document.getElementById("graphiql");
document.body.style.margin = "0";
root.style.height = "100vh";
ReactDOM.createRoot(root).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);
