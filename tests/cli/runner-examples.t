Both examples against a real PostgreSQL: upgrade head, downgrade base,
upgrade again. The schema after each step is read from the catalogue, not
from varve's own output.

  $ source "$ROOT/tests/cli/pg.sh"
  $ ms() { sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'; }
  $ objects() {
  >   psql -XAt -c "SELECT c.relkind::text || ' ' || string_agg(c.relname, ' ' ORDER BY c.relname)
  >     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  >     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'i')
  >       AND c.relname NOT LIKE 'varve_version%'
  >     GROUP BY c.relkind ORDER BY 1"
  >   psql -XAt -c "SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n
  >     ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'"
  >   psql -XAt -c "SELECT 'versions ' || count(*) FROM varve_version"
  > }
  $ columns() {
  >   psql -XAt -c "SELECT '$1: ' || string_agg(column_name, ' ' ORDER BY ordinal_position)
  >     FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1'"
  > }

The blog: a straight line of six migrations.

  $ createdb blog && export PGDATABASE=blog DATABASE_URL=postgresql:///blog
  $ cp -r "$ROOT/examples/blog" "$TESTTMP/blog" && cd "$TESTTMP/blog"
  $ varve upgrade head | ms
  Upgrading postgresql:///blog ("varve_version")
    ✓ 0001  create users                   N ms
    ✓ 0002  create posts                   N ms
    ✓ 0003  create comments                N ms
    ✓ 0004  create tags and post_tags      N ms
    ✓ 0005  index published posts by date  N ms
    ✓ 0006  add post slugs                 N ms
  Applied 6 migrations in N ms
  $ objects; columns posts
  i comments_author_id_idx comments_parent_id_idx comments_pkey comments_post_id_created_at_idx post_tags_pkey post_tags_tag_id_idx posts_author_id_idx posts_pkey posts_published_at_idx posts_slug_key tags_name_key tags_pkey users_email_key users_pkey
  r comments post_tags posts tags users
  versions 6
  posts: id author_id title body published_at created_at updated_at slug
  $ varve downgrade base | ms
  Downgrading postgresql:///blog ("varve_version")
    ✓ 0006  add post slugs                 N ms
    ✓ 0005  index published posts by date  N ms
    ✓ 0004  create tags and post_tags      N ms
    ✓ 0003  create comments                N ms
    ✓ 0002  create posts                   N ms
    ✓ 0001  create users                   N ms
  Rolled back 6 migrations in N ms
  $ objects
  versions 0
  $ varve upgrade -q
  $ objects; columns posts
  i comments_author_id_idx comments_parent_id_idx comments_pkey comments_post_id_created_at_idx post_tags_pkey post_tags_tag_id_idx posts_author_id_idx posts_pkey posts_published_at_idx posts_slug_key tags_name_key tags_pkey users_email_key users_pkey
  r comments post_tags posts tags users
  versions 6
  posts: id author_id title body published_at created_at updated_at slug
  $ varve current
  0006  add post slugs

The branches example: two labelled branches joined by a merge, with a
`transaction: false` CREATE INDEX CONCURRENTLY on the search branch.

  $ createdb shop && export PGDATABASE=shop DATABASE_URL=postgresql:///shop
  $ cp -r "$ROOT/examples/branches" "$TESTTMP/shop" && cd "$TESTTMP/shop"

What the example's comments say about labels: after the merge, both labels
reach 0007, so `billing@head` is all seven; the billing branch alone is
`0003`.

  $ varve upgrade billing@head --dry-run
  Would apply 7 migrations on postgresql:///shop:
    0001  create customers and products
    0002  create invoices
    0003  create invoice lines
    0004  add a full-text search column to products
    0005  index product search concurrently  (no transaction)
    0006  merge billing and search
    0007  product sales view
  $ varve upgrade 0003 --dry-run
  Would apply 3 migrations on postgresql:///shop:
    0001  create customers and products
    0002  create invoices
    0003  create invoice lines
  $ grep -c 'billing@head. applies this branch alone' varve.yaml
  0
  [1]
  $ grep -o 'varve upgrade 0003. applies 0001 to 0003' varve.yaml
  varve upgrade 0003` applies 0001 to 0003
  $ varve upgrade head | ms
  Upgrading postgresql:///shop ("varve_version")
    ✓ 0001  create customers and products              N ms
    ✓ 0002  create invoices                            N ms
    ✓ 0003  create invoice lines                       N ms
    ✓ 0004  add a full-text search column to products  N ms
    ✓ 0005  index product search concurrently          N ms
    ✓ 0006  merge billing and search                   N ms
    ✓ 0007  product sales view                         N ms
  Applied 7 migrations in N ms
  $ objects; columns products
  i customers_email_key customers_pkey invoice_lines_pkey invoice_lines_product_id_idx invoices_customer_id_idx invoices_pkey products_pkey products_search_idx products_sku_key
  r customers invoice_lines invoices products
  v product_sales
  type invoice_status
  versions 7
  products: id sku name description price active search
  $ psql -XAt -c "SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'products_search_idx'::regclass"
  products_search_idx|t
  $ psql -XAt -c "SELECT revision, state FROM varve_version ORDER BY seq"
  0001|applied
  0002|applied
  0003|applied
  0004|applied
  0005|applied
  0006|applied
  0007|applied
  $ varve downgrade base | ms
  Downgrading postgresql:///shop ("varve_version")
    ✓ 0007  product sales view                         N ms
    ✓ 0006  merge billing and search                   N ms
    ✓ 0005  index product search concurrently          N ms
    ✓ 0004  add a full-text search column to products  N ms
    ✓ 0003  create invoice lines                       N ms
    ✓ 0002  create invoices                            N ms
    ✓ 0001  create customers and products              N ms
  Rolled back 7 migrations in N ms
  $ objects; columns products
  versions 0
  
  $ varve upgrade -q
  $ objects
  i customers_email_key customers_pkey invoice_lines_pkey invoice_lines_product_id_idx invoices_customer_id_idx invoices_pkey products_pkey products_search_idx products_sku_key
  r customers invoice_lines invoices products
  v product_sales
  type invoice_status
  versions 7
  $ psql -XAt -c "SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'products_search_idx'::regclass"
  products_search_idx|t
  $ varve current
  0007  product sales view
