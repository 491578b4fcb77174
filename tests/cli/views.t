Views of the graph that need no database: heads, graph, history.

The branched example has one head after its merge:

  $ cd "$ROOT/examples/branches"
  $ varve heads
  0007 (head)  product sales view
  $ varve heads --format json
  [
    {
      "revision": "0007",
      "down_revision": [
        "0006"
      ],
      "description": "product sales view",
      "branch": null,
      "head": true
    }
  ]
  $ varve history
  0006 -> 0007 (head), product sales view
  0003, 0005 -> 0006 (merge), merge billing and search
  0004 -> 0005, index product search concurrently
  0001 -> 0004 [search], add a full-text search column to products
  0002 -> 0003, create invoice lines
  0001 -> 0002 [billing], create invoices
  <base> -> 0001 (branchpoint), create customers and products
  $ varve history --graph
  * 0007 (head), product sales view
  * 0006 (merge), merge billing and search
  |\
  | * 0005, index product search concurrently
  | * 0004 [search], add a full-text search column to products
  * | 0003, create invoice lines
  * | 0002 [billing], create invoices
  |/
  * 0001 (branchpoint), create customers and products
  $ varve graph
  digraph varve {
  	rankdir=BT;
  	node [shape=box];
  	"0001" [label="0001\ncreate customers and products"];
  	"0002" [label="0002\ncreate invoices\n[billing]"];
  	"0003" [label="0003\ncreate invoice lines"];
  	"0004" [label="0004\nadd a full-text search column to products\n[search]"];
  	"0005" [label="0005\nindex product search concurrently"];
  	"0006" [label="0006\nmerge billing and search"];
  	"0007" [label="0007\nproduct sales view"];
  	"0001" -> "0002";
  	"0002" -> "0003";
  	"0001" -> "0004";
  	"0004" -> "0005";
  	"0003" -> "0006";
  	"0005" -> "0006";
  	"0006" -> "0007";
  }
  $ varve graph --format mermaid
  graph BT
      r0001["0001 create customers and products"]
      r0002["0002 create invoices [billing]"]
      r0003["0003 create invoice lines"]
      r0004["0004 add a full-text search column to products [search]"]
      r0005["0005 index product search concurrently"]
      r0006["0006 merge billing and search"]
      r0007["0007 product sales view"]
      r0001 --> r0002
      r0002 --> r0003
      r0001 --> r0004
      r0004 --> r0005
      r0003 --> r0006
      r0005 --> r0006
      r0006 --> r0007
  $ varve graph --format json
  ! varve graph: --format json is not supported: graph takes dot or mermaid
  ! run 'varve graph --help' for usage
  [2]

Two heads, which `heads` is for (no error), and `history --graph` draws them:

  $ cd "$FIXTURES/check/multiple-heads"
  $ varve heads
  0002 (head)
  0003 (head)
  $ varve history --graph
  * 0003 (head)
  | * 0002 (head)
  |/
  * 0001 (branchpoint)

The linear example:

  $ cd "$ROOT/examples/blog"
  $ varve history --graph
  * 0006 (head), add post slugs
  * 0005, index published posts by date
  * 0004, create tags and post_tags
  * 0003, create comments
  * 0002, create posts
  * 0001, create users
  $ varve heads
  0006 (head)  add post slugs

A broken manifest gives its findings and exit 1:

  $ cd "$FIXTURES/check/cycle"
  $ varve heads
  ! varve.yaml:6:15: error: cycle: 0002 -> 0003 -> 0002 [cycle]
  [1]
  $ varve history extra
  ! varve history: unexpected argument 'extra'
  ! run 'varve history --help' for usage
  [2]
