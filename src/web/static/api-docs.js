// The API reference page: Swagger UI over this server's OpenAPI document. "Try it out" calls the
// API with the browser's session, so every write carries the page's CSRF token.
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  const csrf = root.dataset.csrfToken;
  // eslint-disable-next-line no-undef
  SwaggerUIBundle({
    url: root.dataset.document,
    dom_id: "#swagger-ui",
    deepLinking: true,
    requestInterceptor: (request) => {
      if (request.method && request.method.toUpperCase() !== "GET") request.headers["X-CSRF-Token"] = csrf;
      return request;
    },
  });
});
