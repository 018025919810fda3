; Bantam's additions to tree-sitter-c's tags.scm: macros with a value (not bare include guards),
; function-like macros, enums as enums, enumerators and unions. (The shipped query captures a
; function's declarator; the extractor widens it to the whole definition or prototype.)
(preproc_def name: (identifier) @name value: (_)) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum
(enumerator name: (identifier) @name) @definition.constant
(union_specifier name: (type_identifier) @name body: (_)) @definition.class
