import Foundation
import Hummingbird
import Support

/// The JSON API (docs/api.md): the same operations as the pages, for a province's own systems.
/// Sign in with `POST /api/login`; send the token as `Authorization: Bearer …`.
extension Portal {
    func addAPIRoutes(_ router: Router<PortalContext>) {
        router.post("/api/login") { request, context -> Response in
            let body = try await self.json(request)
            let name = TextNormalization.collapseWhitespace(TextNormalization.nfc((body["name"] as? String) ?? ""))
            let token = try await self.signIn(name: name, password: (body["password"] as? String) ?? "",
                                              client: self.clientAddress(request, context))
            return Portal.jsonResponse(["token": token, "user": name, "expiresIn": Int(self.configuration.sessionLifetime)])
        }
        router.post("/api/logout") { request, _ -> Response in
            let s = try self.requireSession(request, api: true)
            try self.checkCSRF(s, request: request, field: nil)
            if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
                try self.store.deleteSession(tokenHash: Secrets.sha256(String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)))
            }
            return Portal.jsonResponse(["ok": true])
        }
        router.get("/api/collections") { request, _ -> Response in
            _ = try self.requireSession(request, api: true)
            let list = try self.store.collections().map { c -> [String: Any] in
                let p = try self.store.progress(collection: c)
                return ["id": c.id, "title": c.title, "form": c.form, "period": c.period,
                        "deadline": Display.iso(c.deadline), "submitted": p.submittedCount, "total": p.units.count]
            }
            return Portal.jsonResponse(["collections": list])
        }
        router.post("/api/collections") { request, _ -> Response in
            let s = try self.requireSession(request, api: true)
            try self.checkCSRF(s, request: request, field: nil)
            let body = try await self.json(request)
            let units = (body["units"] as? [Any])?.compactMap { $0 as? String } ?? []
            let id = try self.createCollection(
                title: (body["title"] as? String) ?? "", form: (body["form"] as? String) ?? "",
                period: (body["period"] as? String) ?? "", deadline: (body["deadline"] as? String) ?? "",
                parentUnit: (body["parentUnit"] as? String) ?? s.user.name, units: units, by: s.user)
            let list = try self.store.units(collection: id).map { u -> [String: Any] in
                ["name": u.name, "token": u.token, "url": self.unitURL(u.token)]
            }
            return Portal.jsonResponse(["id": id, "units": list], status: .created)
        }
        router.get("/api/collections/:id") { request, context -> Response in
            _ = try self.requireSession(request, api: true)
            let c = try self.collection(context)
            let p = try self.store.progress(collection: c)
            let units = p.units.map { u -> [String: Any] in
                [
                    "name": u.unit.name, "status": u.status.rawValue, "versions": u.uploads.count,
                    "errors": u.current?.errors ?? NSNull(), "warnings": u.current?.warnings ?? NSNull(),
                    "submittedAt": u.current?.submittedAt.map(Display.iso) ?? NSNull(),
                    "uploadId": u.current?.id ?? NSNull(), "linkRevoked": u.unit.revokedAt != nil,
                ]
            }
            return Portal.jsonResponse([
                "id": c.id, "title": c.title, "form": c.form, "period": c.period, "deadline": Display.iso(c.deadline),
                "parentUnit": c.parentUnit, "submitted": p.submittedCount, "total": p.units.count,
                "missing": p.units.filter { $0.status == .missing }.map(\.unit.name), "units": units,
            ])
        }
        router.get("/api/collections/:id/merged.xlsx") { request, context -> Response in
            _ = try self.requireSession(request, api: true)
            return try await self.mergedDownload(try self.collection(context))
        }
        router.get("/api/collections/:id/originals.zip") { request, context -> Response in
            _ = try self.requireSession(request, api: true)
            return try await self.originalsDownload(try self.collection(context))
        }
        router.get("/api/collections/:id/findings.csv") { request, context -> Response in
            _ = try self.requireSession(request, api: true)
            return try self.findingsDownload(try self.collection(context), lang: self.language(request))
        }
    }
}
