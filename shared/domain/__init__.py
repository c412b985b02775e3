"""The domain's rules as pure Python: no boto3, no table. Every service applies them."""
