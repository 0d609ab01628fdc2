"""For development and tests only: test mode's /_test routes and forced statuses
(testmode.py), and the server run in a background thread of the caller's
process (background.py). May import every other part of users_server."""
