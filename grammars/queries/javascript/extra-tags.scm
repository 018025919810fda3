; Bantam's additions to tree-sitter-javascript's tags.scm: module-level constants and variables,
; which a completion model needs to see as much as functions (`TAX_RATE`, config objects).
; Declarators that hold a function are already definition.function; the extractor keeps the
; stronger kind when one node is captured twice.
(program (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement declaration: (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant)))
(program (lexical_declaration "let" (variable_declarator name: (identifier) @name) @definition.variable))
(program (export_statement declaration: (lexical_declaration "let" (variable_declarator name: (identifier) @name) @definition.variable)))
(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable))
