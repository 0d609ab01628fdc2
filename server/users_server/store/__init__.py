"""SQLite storage: the connection and tables (database.py), the users table as
the `User` schema declares it (user_table.py), and the SQL behind listUsers
(listing.py). Imports only support/, spec/ and errors.py."""
