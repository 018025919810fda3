; Bantam's import query for TypeScript and TSX, on top of javascript/imports.scm (the runtime
; loads both): the one statement JavaScript doesn't have. Each statement is one @import.statement;
; its module is @import.source (quotes excluded) and the names it brings in are @import.name.

; import x = require('./m')
(import_statement
  (import_require_clause
    (identifier) @import.name
    source: (string (string_fragment) @import.source))) @import.statement
