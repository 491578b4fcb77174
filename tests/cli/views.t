Views of the graph that need no database: heads, graph, history.

The branched example has one head after its merge:

  $ cd "$ROOT/examples/branches"
  $ varve heads
  0007 (head)  product sales view
  $ varve heads --format json
  {
    "varve": 1,
    "command": "heads",
    "heads": [
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
  }
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

A criss-cross merge (a; b, c, d from a; e merges b and c; f merges e and
d; g merges c and f), beside `git log --graph` on the same history built
as commits in manifest order: the same shape, line by line (git pads a
merge's line, so both are trimmed to the graph and the name). Lane 2,
waiting for c after e, crosses over to c's lane 0 at once:

  $ mkdir "$TESTTMP/criss" && cd "$TESTTMP/criss" && mkdir migrations
  $ for r in a b c d; do echo 'SELECT 1;' >migrations/$r.sql; done
  $ cat >varve.yaml <<'EOF'
  > varve: 1
  > migrations:
  >   - {revision: a, down_revision: null, file: a.sql}
  >   - {revision: b, down_revision: a, file: b.sql}
  >   - {revision: c, down_revision: a, file: c.sql}
  >   - {revision: d, down_revision: a, file: d.sql}
  >   - {revision: e, down_revision: [b, c]}
  >   - {revision: f, down_revision: [e, d]}
  >   - {revision: g, down_revision: [c, f]}
  > EOF
  $ shape() { sed -E 's/^([|/\\* ]*[|/\\*]) *([^ ]*).*/\1 \2/; s/ +$//'; }
  $ varve history --graph
  * g (head) (merge)
  |\
  | * f (merge)
  | |\
  | * \ e (merge)
  | |\ \
  | |/ /
  |/| |
  | | * d
  * | | c (branchpoint)
  | |/
  |/|
  | * b
  |/
  * a (branchpoint)

`gitlike 'a; b a; ...'` builds one graph twice (each item a revision and
its parents, in manifest order): as a manifest, and as git commits with
increasing dates; then it compares `varve history --graph` with `git log
--graph --date-order`, trimmed as above. The criss-cross, and the shapes
before it: linear, a fork, a diamond, two branches joined and continued,
a merge whose first parent is the later branch (octopus merges are drawn
differently by git, as "*-.", and are left out):

  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
  $ gitlike() {
  >   local dir n=0 item r p ps tree args heads=" " tips=() items parents; local -A id
  >   dir=$(mktemp -d "$TESTTMP/gl.XXXX") && mkdir "$dir/migrations" && git init -q "$dir/repo"
  >   printf 'varve: 1\nmigrations:\n' >"$dir/varve.yaml"
  >   tree=$(git -C "$dir/repo" hash-object -w -t tree /dev/null)
  >   IFS=';' read -ra items <<<"$1"
  >   for item in "${items[@]}"; do
  >     read -r r ps <<<"$item"; read -ra parents <<<"$ps"
  >     if [ ${#parents[@]} -lt 2 ]; then
  >       echo 'SELECT 1;' >"$dir/migrations/$r.sql"
  >       printf '  - {revision: %s, down_revision: %s, file: %s.sql}\n' "$r" "${parents[0]:-null}" "$r" >>"$dir/varve.yaml"
  >     else
  >       printf '  - {revision: %s, down_revision: [%s]}\n' "$r" "$(IFS=,; echo "${parents[*]}")" >>"$dir/varve.yaml"
  >     fi
  >     n=$((n + 1)); args=()
  >     for p in "${parents[@]}"; do args+=(-p "${id[$p]}"); heads=${heads/ $p / }; done
  >     id[$r]=$(GIT_AUTHOR_DATE="@$((1735689600 + n)) +0000" GIT_COMMITTER_DATE="@$((1735689600 + n)) +0000" git -C "$dir/repo" commit-tree "${args[@]}" -m "$r" "$tree")
  >     heads="$heads$r "
  >   done
  >   for r in $heads; do tips+=("${id[$r]}"); done
  >   diff <(git -C "$dir/repo" log --graph --date-order --format=%s "${tips[@]}" | shape) <(varve -f "$dir/varve.yaml" history --graph | shape) && echo same
  > }
  $ gitlike 'a; b a; c a; d a; e b c; f e d; g c f'
  same
  $ gitlike 'a; b a; c b; d c'
  same
  $ gitlike 'a; b a; c a'
  same
  $ gitlike 'a; b a; c a; d b c'
  same
  $ gitlike 'a; b a; c b; d a; e d; f c e; g f'
  same
  $ gitlike 'a; b a; c a; d c b'
  same

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
