-- expect: ban-drop-database
-- about: DROP DATABASE in a migration
-- migration: 0001 transaction=false
DROP DATABASE staging;
