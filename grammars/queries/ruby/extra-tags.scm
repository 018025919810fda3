; Bantam's additions to tree-sitter-ruby's tags.scm: constants (`TAX_RATE = 0.2`).
(assignment left: (constant) @name) @definition.constant
