; Bantam's import query (Rust). Each `use` or `mod x;` is one @import.statement.
;   use crate::a::B;          source 'crate::a::B', names [B]
;   use crate::a::{b, C};     source 'crate::a',    names [b, C]
;   use a::*;                 source 'a',           names []
;   mod x;                    source 'x'  (the file x.rs or x/mod.rs next to this one)

(use_declaration argument: (scoped_identifier name: (identifier) @import.name) @import.source) @import.statement
(use_declaration argument: (identifier) @import.source @import.name) @import.statement
(use_declaration
  argument: (use_as_clause path: [(scoped_identifier name: (identifier) @import.name) (identifier) @import.name] @import.source)) @import.statement
(use_declaration argument: (scoped_use_list path: (_) @import.source)) @import.statement
(use_declaration
  argument: (scoped_use_list
    list: (use_list [
      (identifier) @import.name
      (use_as_clause path: (identifier) @import.name)
      (scoped_identifier name: (identifier) @import.name)
      (scoped_use_list list: (use_list (identifier) @import.name))
    ]))) @import.statement
(use_declaration argument: (use_wildcard . (_) @import.source)) @import.statement
(use_declaration argument: (use_list (identifier) @import.source)) @import.statement

(mod_item name: (identifier) @import.source !body) @import.statement
