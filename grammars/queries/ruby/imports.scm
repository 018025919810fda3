; Bantam's import query (Ruby). Each require is one @import.statement; @import.source is the path as
; written. require_relative also captures @import.relative, so the extractor can write the path
; relative to the requiring file ('./lib/helper') and resolution knows where to look.
((call
  method: (identifier) @_method
  arguments: (argument_list . (string (string_content) @import.source) .)) @import.statement
  (#any-of? @_method "require" "load"))
((call
  method: (identifier) @import.relative
  arguments: (argument_list . (string (string_content) @import.source) .)) @import.statement
  (#eq? @import.relative "require_relative"))
