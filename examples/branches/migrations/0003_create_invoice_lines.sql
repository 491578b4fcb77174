-- upgrade --
CREATE TABLE invoice_lines (
    invoice_id  bigint        NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no     integer       NOT NULL CHECK (line_no > 0),
    product_id  bigint        NOT NULL REFERENCES products (id),
    quantity    integer       NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (invoice_id, line_no)
);

CREATE INDEX invoice_lines_product_id_idx ON invoice_lines (product_id);

-- downgrade --
DROP TABLE invoice_lines;
