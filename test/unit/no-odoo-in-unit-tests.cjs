// Unit tests run web_src/core without a browser; reaching Odoo's web client from there is a bug.
throw new Error(
    "web_src/core must not import @odoo/owl or @web/*: keep components out of unit tests"
);
