; Bantam's additions to tree-sitter-python's tags.scm: class-level constants and annotated
; module constants (`TAX_RATE: float = 0.2`). Methods need no pattern: the extractor makes a
; function nested in a class a method of that class.
(module (expression_statement (assignment left: (identifier) @name type: (_)) @definition.constant))
(class_definition body: (block (expression_statement (assignment left: (identifier) @name right: (_)) @definition.field)))
