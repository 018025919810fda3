; Bantam's import query (Go). Each import spec is one @import.statement; @import.source is the
; package path without quotes. Go imports packages, not names, so there is no @import.name.
(import_spec
  path: [
    (interpreted_string_literal (interpreted_string_literal_content) @import.source)
    (raw_string_literal (raw_string_literal_content) @import.source)
  ]) @import.statement
