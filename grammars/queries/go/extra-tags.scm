; Bantam's additions to tree-sitter-go's tags.scm: struct and interface types get their own kind
; (the shipped query calls every type spec a "type"), methods name their receiver type as
; @container (Go methods are not nested in their type), and constants and package variables.
(type_spec name: (type_identifier) @name type: (struct_type)) @definition.class
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(method_declaration
  receiver: (parameter_list
    (parameter_declaration type: [
      (type_identifier) @container
      (pointer_type (type_identifier) @container)
      (generic_type type: (type_identifier) @container)
      (pointer_type (generic_type type: (type_identifier) @container))
    ]))
  name: (field_identifier) @name) @definition.method
(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.variable))
; Interface method specs are methods of their interface, so a call through an interface value finds
; the signature it calls.
(type_spec
  name: (type_identifier) @container
  type: (interface_type (method_elem name: (field_identifier) @name) @definition.method))
