; Bantam's import query (Go). Each import spec is one @import.statement; @import.source is the
; package path without quotes. Go imports packages, not names, so there is no @import.name.
(import_spec
  path: [
    (interpreted_string_literal (interpreted_string_literal_content) @import.source)
    (raw_string_literal (raw_string_literal_content) @import.source)
  ]) @import.statement
; `f "example.com/shop/format"`: the package's local name is @import.alias.
(import_spec name: (package_identifier) @import.alias) @import.statement

; `package x`: the files of the same folder are the same package, visible without an import. The
; clause is recorded as an import of the own package ('.'), which the Go rule resolves to them.
(package_clause) @import.statement @import.own-package
