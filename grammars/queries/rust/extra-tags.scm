; Bantam's additions to tree-sitter-rust's tags.scm: impl blocks as containers (@scope.impl: not a
; definition of their own, but the methods inside name their type), enums as enums, trait method
; signatures, type aliases, constants and statics.
(impl_item
  type: [
    (type_identifier) @name
    (generic_type type: (type_identifier) @name)
    (scoped_type_identifier name: (type_identifier) @name)
  ]) @scope.impl
(enum_item name: (type_identifier) @name) @definition.enum
(type_item name: (type_identifier) @name) @definition.type
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @definition.method))
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
