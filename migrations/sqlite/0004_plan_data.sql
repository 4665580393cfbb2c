-- The tables and figures of a plan (start-up items, funding, products, positions, costs,
-- competitors, risks) as one riyada.plan.v1 document without title and written sections.
ALTER TABLE plans ADD COLUMN data TEXT;
