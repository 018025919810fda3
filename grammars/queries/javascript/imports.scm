; Bantam's import query (JavaScript). Each statement is one @import.statement; its module is
; @import.source (quotes excluded) and the names it brings in are @import.name; a namespace
; import's local name (`import * as m`) is @import.alias.

; import x, { a, b as c } from './m'   /   import './m'
(import_statement
  source: (string (string_fragment) @import.source)) @import.statement
(import_statement
  (import_clause (identifier) @import.name)) @import.statement
(import_statement
  (import_clause
    (named_imports (import_specifier name: (identifier) @import.name)))) @import.statement
(import_statement
  (import_clause (namespace_import (identifier) @import.alias))) @import.statement

; export { a } from './m'   /   export * from './m'
(export_statement
  source: (string (string_fragment) @import.source)) @import.statement
(export_statement
  (export_clause (export_specifier name: (identifier) @import.name))
  source: (string)) @import.statement
; ... and the alias it is exported as (`export { a as b }`), the name its importers use
(export_statement
  (export_clause (export_specifier alias: (identifier) @import.name))
  source: (string)) @import.statement

; require('./m'), with the names a destructuring or plain binding gives it
((call_expression
  function: (identifier) @_require
  arguments: (arguments . (string (string_fragment) @import.source) .)) @import.statement
  (#eq? @_require "require"))
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @import.name)
  value: ((call_expression function: (identifier) @_require) @import.statement
          (#eq? @_require "require")))
(variable_declarator
  name: (object_pattern (pair_pattern key: (property_identifier) @import.name))
  value: ((call_expression function: (identifier) @_require) @import.statement
          (#eq? @_require "require")))

; import('./m')
(call_expression
  function: (import)
  arguments: (arguments . (string (string_fragment) @import.source))) @import.statement
