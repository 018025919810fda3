; Bantam's import query (Python). Each statement is one @import.statement; its module is
; @import.source as written (relative dots kept: '.pricing', '..a.b', '.') and the names a
; `from` import brings in are @import.name (the imported name, not the alias); a whole module
; imported under another name has that name as @import.alias.

; import a.b, c as d  (one statement per module)
(import_statement name: (dotted_name) @import.source @import.statement)
(import_statement name: (aliased_import name: (dotted_name) @import.source alias: (identifier) @import.alias) @import.statement)

; from m import x, y as z   /   from .m import x   /   from . import x
(import_from_statement module_name: (_) @import.source) @import.statement
(import_from_statement name: (dotted_name) @import.name) @import.statement
(import_from_statement name: (aliased_import name: (dotted_name) @import.name)) @import.statement
