-- upgrade --
CREATE TYPE invoice_status AS ENUM ('draft', 'issued', 'paid', 'void');

CREATE TABLE invoices (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint         NOT NULL REFERENCES customers (id),
    status       invoice_status NOT NULL DEFAULT 'draft',
    issued_at    timestamptz,
    created_at   timestamptz    NOT NULL DEFAULT now(),
    CHECK ((status = 'draft') = (issued_at IS NULL))
);

CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);

-- downgrade --
DROP TABLE invoices;
DROP TYPE invoice_status;
