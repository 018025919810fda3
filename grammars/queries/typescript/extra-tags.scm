; Bantam's additions to the TypeScript tags.scm (itself JavaScript's plus TypeScript's): type
; aliases, enums and module-level constants, which the shipped query leaves out but a completion
; model needs (a call site's argument types are often aliases or enums). Declarators that hold a
; function are already definition.function; the extractor keeps the stronger kind.
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(program (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement declaration: (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant)))
(program (lexical_declaration "let" (variable_declarator name: (identifier) @name) @definition.variable))
(program (export_statement declaration: (lexical_declaration "let" (variable_declarator name: (identifier) @name) @definition.variable)))
(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable))
