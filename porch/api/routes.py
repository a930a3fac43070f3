from ninja import NinjaAPI

api = NinjaAPI(title="Porch API", version="1", urls_namespace="api")
