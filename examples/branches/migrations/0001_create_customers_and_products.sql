-- upgrade --
CREATE TABLE customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL UNIQUE,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          text          NOT NULL UNIQUE,
    name         text          NOT NULL,
    description  text          NOT NULL DEFAULT '',
    price        numeric(12,2) NOT NULL CHECK (price >= 0),
    active       boolean       NOT NULL DEFAULT true
);

-- downgrade --
DROP TABLE products;
DROP TABLE customers;
