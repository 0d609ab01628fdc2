"""Hand-written resource methods, where one adds something a generated method
cannot say.

Every operation of openapi.yaml is a generated method (users_api_client.sdk.
resources, by `make generate`): `client.users` is the generated `Users`
unless a class here overrides it. An override subclasses the generated class
and keeps every parameter of the method it replaces
(tests/guards/test_overrides.py checks it), so that a spec change still
reaches users through the generated signature. None is needed today.
"""
