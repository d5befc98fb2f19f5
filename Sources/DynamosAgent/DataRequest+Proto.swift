import DynamosControl
import DynamosMessages

extension DataRequest {
    /// The request as the `SqlDataRequest` every worker of the chain reads from `original_request`.
    func sqlDataRequest(requestId: String) -> Dynamos_SqlDataRequest {
        Dynamos_SqlDataRequest.with {
            $0.type = type
            $0.query = query
            $0.algorithm = algorithm
            $0.algorithmColumns = algorithmColumns
            $0.options = options
            $0.user = Dynamos_User.with {
                $0.id = user.id
                $0.userName = user.userName
            }
            $0.requestMetadata = Dynamos_RequestMetadata.with {
                $0.jobID = requestMetadata.jobId
                $0.requestID = requestId
                $0.correlationID = requestId
            }
            $0.jobName = requestMetadata.jobId
        }
    }
}
