Shell completion (share/): commands and options from varve's own help,
targets and revisions from the manifest. Each shell's script is driven as
the shell would: bash through `complete -p` and COMP_WORDS
(tests/docs/complete.bash), zsh with its completion builtins recorded
(tests/docs/complete.zsh), fish through its own engine (`complete -C`).

  $ cd "$ROOT/examples/branches"
  $ fishc() { fish -c "source '$ROOT/share/fish/vendor_completions.d/varve.fish'; complete -C'$1'" | cut -f1 | sort; }
  $ each() { for sh in "bash $ROOT/tests/docs/complete.bash" "zsh $ROOT/tests/docs/complete.zsh" fishc; do $sh "$1" | tr '\n' ' '; echo; done; }

bash registers a function for varve:

  $ bash -c "source '$ROOT/share/bash-completion/completions/varve' && complete -p varve"
  complete -F _varve varve

Commands, then a command's options (its own and the global ones):

  $ each 'varve '
  check current downgrade fix graph hash heads help history import init merge new redo resolve schema stamp status test upgrade wait 
  check current downgrade fix graph hash heads help history import init merge new redo resolve schema stamp status test upgrade wait 
  check current downgrade fix graph hash heads help history import init merge new redo resolve schema stamp status test upgrade wait 
  $ each 'varve up'
  upgrade 
  upgrade 
  upgrade 
  $ each 'varve check --s'
  --schema --scratch --sequential --server-version --strict 
  --schema --scratch --sequential --server-version --strict 
  --schema --scratch --sequential --server-version --strict 
  $ each 'varve fix -'
  --against --color --database --dry-run --format --help --linearize --lock-wait --manifest --no-color --quiet --recover --scratch --verbose --yes -d -f -h -q -v -y 
  --against --color --database --dry-run --format --help --linearize --lock-wait --manifest --no-color --quiet --recover --scratch --verbose --yes -d -f -h -q -v -y 
  --against --color --database --dry-run --format --help --linearize --lock-wait --manifest --no-color --quiet --recover --scratch --verbose --yes -d -f -h -q -v -y 
  $ each 'varve help hi'
  history 
  history 
  history 

redo takes a target; test's --from and --to a revision; wait's --timeout
a value of the user's:

  $ each 'varve redo 00'
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  $ each 'varve test --from 000'
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  $ each 'varve test --to b'
  billing@head 
  billing@head 
  billing@head 
  $ each 'varve wait --timeout '
   
  
  

Targets from the manifest, labels as LABEL@head; revisions for resolve;
another manifest with -f:

  $ each 'varve upgrade '
  0001 0002 0003 0004 0005 0006 0007 base billing@head head heads search@head 
  0001 0002 0003 0004 0005 0006 0007 base billing@head head heads search@head 
  0001 0002 0003 0004 0005 0006 0007 base billing@head head heads search@head 
  $ each 'varve downgrade bil'
  billing@head 
  billing@head 
  billing@head 
  $ each 'varve resolve 000'
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  0001 0002 0003 0004 0005 0006 0007 
  $ each 'varve -f ../blog/varve.yaml stamp 000'
  0001 0002 0003 0004 0005 0006 
  0001 0002 0003 0004 0005 0006 
  0001 0002 0003 0004 0005 0006 

Option values:

  $ each 'varve graph --format '
  dot mermaid 
  dot mermaid 
  dot mermaid 
  $ each 'varve check --format j'
  json 
  json 
  json 
  $ bash "$ROOT/tests/docs/complete.bash" 'varve --format='
  github
  json
  text

--color's values (and its value is not taken for the command), import's
tools from its help, and new --head's parents as upgrade's targets are:

  $ each 'varve --color '
  always auto never 
  always auto never 
  always auto never 
  $ each 'varve --color never up'
  upgrade 
  upgrade 
  upgrade 
  $ each 'varve import --from '
  auto dbmate flyway golang-migrate goose manticore pycopg sqitch sqlspec 
  auto dbmate flyway golang-migrate goose manticore pycopg sqitch sqlspec 
  auto dbmate flyway golang-migrate goose manticore pycopg sqitch sqlspec 
  $ each 'varve import --from=g'
  golang-migrate goose 
  golang-migrate goose 
  --from=golang-migrate --from=goose 
  $ each 'varve schema '
  dump 
  dump 
  dump 
  $ each 'varve schema dump --o'
  --output --owners 
  --output --owners 
  --output --owners 
  $ each 'varve new --head '
  0001 0002 0003 0004 0005 0006 0007 billing@head search@head 
  0001 0002 0003 0004 0005 0006 0007 billing@head search@head 
  0001 0002 0003 0004 0005 0006 0007 billing@head search@head 

No manifest, no revisions (and no error on the terminal):

  $ cd "$TESTTMP" && each 'varve upgrade '
  base head heads 
  base head heads 
  base head heads 
