-- upgrade --
-- Needs both branches: invoice lines (billing) and the search column (search).
-- Counts issued and paid invoices, not drafts or void ones.
CREATE VIEW product_sales AS
SELECT p.id,
       p.sku,
       p.name,
       p.search,
       coalesce(sum(l.quantity), 0)                AS units_sold,
       coalesce(sum(l.quantity * l.unit_price), 0) AS revenue
  FROM products p
  LEFT JOIN (invoice_lines l
             JOIN invoices i ON i.id = l.invoice_id AND i.status IN ('issued', 'paid'))
         ON l.product_id = p.id
 GROUP BY p.id;

-- downgrade --
DROP VIEW product_sales;
